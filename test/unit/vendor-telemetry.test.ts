import { ApolloGateway } from '@apollo/gateway';
import { disableVendorTelemetry } from '../../gateway/vendor-telemetry';

describe('vendor telemetry', () => {
  it('is off before a gateway is built: no exporter to Apollo, no probe of cloud metadata addresses', () => {
    delete process.env.APOLLO_TELEMETRY_DISABLED;
    disableVendorTelemetry();
    const gateway = new ApolloGateway({ supergraphSdl: 'type Query { a: Int }' }) as unknown as { toDispose: unknown[] };
    // The gateway registers a disposer only for the telemetry exporter it starts.
    expect(gateway.toDispose).toEqual([]);
  });
});
