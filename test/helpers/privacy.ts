import type { PrivacyExtension } from '../../privacy/enforcement/notices';

/** The client's `extensions.privacy` as one entry per hidden value, the way an app reads it. */
export function hiddenValues(privacy: PrivacyExtension | undefined): { path: (string | number)[]; effect: string; reason: string }[] {
  if (!privacy) return [];
  return privacy.notices.flatMap(({ field, effect, reason, rows }) => rows.map((row) => ({ path: [...privacy.rows[row]!, field], effect, reason })));
}
