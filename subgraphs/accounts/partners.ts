import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { GraphQLError } from 'graphql';
import { badUserInput, forbidden } from '../../platform/errors';
import type { PartnerAppRow, PartnerInstallationRow } from '../../privacy/store/entities';
import { splitScopes } from '../../privacy/store/partners';
import type { SubgraphContext } from '../shared/context';
import type { AccountLoaders } from './loaders';

type Context = SubgraphContext<AccountLoaders>;

function requireAdmin({ caller }: Context): void {
  if (caller.role !== 'ADMIN') throw forbidden('Only a tenant administrator manages partner apps');
}

function parseClientId(value: unknown): string {
  if (typeof value !== 'string' || !/^[a-z0-9][a-z0-9-]{1,99}$/.test(value)) throw badUserInput('Argument "clientId" is not a valid client id', 'clientId');
  return value;
}

async function registeredApp(context: Context, clientId: string): Promise<PartnerAppRow> {
  const app = await context.privacy.partners.app(clientId);
  if (!app) throw new GraphQLError('No partner app is registered under that client id', { extensions: { code: 'NOT_FOUND' } });
  return app;
}

/** Partner apps are installed per tenant by that tenant's ADMIN, with a subset of the app's scopes. */
export const partnerResolvers: GraphQLResolverMap<Context> = {
  Query: {
    partnerApps: async (_: unknown, __: unknown, context: Context) => {
      requireAdmin(context);
      const [apps, installations] = await Promise.all([
        context.privacy.partners.apps(),
        context.privacy.partners.activeInstallations(context.caller.tenantId),
      ]);
      const byClient = new Map(installations.map((i) => [i.clientId, i]));
      return apps.map((app) => ({ ...app, installation: byClient.get(app.clientId) ?? null }));
    },
  },
  Mutation: {
    installPartnerApp: async (_: unknown, args: { clientId: unknown; scopes?: unknown }, context: Context) => {
      requireAdmin(context);
      const app = await registeredApp(context, parseClientId(args.clientId));
      const allowed = splitScopes(app.allowedScopes);
      const scopes = args.scopes === undefined || args.scopes === null ? allowed : (args.scopes as string[]);
      const unknown = scopes.filter((s) => !allowed.includes(s));
      if (unknown.length > 0 || scopes.length === 0) throw badUserInput(`Argument "scopes" must be a non-empty subset of: ${allowed.join(', ')}`, 'scopes');
      const granted = [...new Set(scopes)];
      const installation = await context.privacy.partners.install(context.caller.tenantId, app.clientId, granted, context.caller.userId);
      context.privacyActions.add({ action: 'PARTNER_INSTALL', detail: { clientId: app.clientId, scopes: granted } });
      return installation;
    },
    uninstallPartnerApp: async (_: unknown, args: { clientId: unknown }, context: Context) => {
      requireAdmin(context);
      const clientId = parseClientId(args.clientId);
      const uninstalled = await context.privacy.partners.uninstall(context.caller.tenantId, clientId);
      // Only an installation that ended is a privacy action; uninstalling what was not installed changes nothing.
      if (uninstalled) context.privacyActions.add({ action: 'PARTNER_UNINSTALL', detail: { clientId } });
      return uninstalled;
    },
  },
  PartnerApp: {
    allowedScopes: (app: PartnerAppRow) => splitScopes(app.allowedScopes),
  },
  PartnerInstallation: {
    scopes: (installation: PartnerInstallationRow) => splitScopes(installation.scopes),
    installedBy: (installation: PartnerInstallationRow, _: unknown, { loaders }: Context) => loaders.user.load(installation.installedBy),
  },
};
