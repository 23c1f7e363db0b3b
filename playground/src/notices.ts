/** `extensions.privacy` as the gateway sends it: each row once, notices grouped by field. */
export interface PrivacyExtension {
  rows: (string | number)[][];
  notices: { field: string; effect: string; reason: string; rows: number[] }[];
}

/** One line of the panel: a field hidden for one reason, with every place it was. */
export interface NoticeGroup {
  field: string;
  effect: string;
  reason: string;
  paths: string[];
}

/** What the last operation's answer was, for the panel. */
export type LastResult =
  | { kind: 'none' }
  | { kind: 'failed' }
  | { kind: 'answered'; groups: NoticeGroup[]; withErrors: boolean };

/** Groups notices by field, effect and reason (a subgraph may send one field's notice in parts). */
export function groupNotices(privacy: PrivacyExtension | undefined): NoticeGroup[] {
  if (!privacy?.notices || !privacy.rows) return [];
  const groups = new Map<string, NoticeGroup>();
  for (const { field, effect, reason, rows } of privacy.notices) {
    const key = `${field}\u0000${effect}\u0000${reason}`;
    const group = groups.get(key) ?? groups.set(key, { field, effect, reason, paths: [] }).get(key)!;
    for (const row of rows) group.paths.push([...(privacy.rows[row] ?? []), field].join('.'));
  }
  return [...groups.values()].sort((a, b) => b.paths.length - a.paths.length || a.field.localeCompare(b.field));
}

/** Reads an answer (or one answer of a batch) into what the panel shows. */
export function lastResultOf(json: { data?: unknown; errors?: unknown[]; extensions?: { privacy?: PrivacyExtension } } | undefined): LastResult {
  if (!json || json.data === undefined || json.data === null) return { kind: 'failed' };
  return { kind: 'answered', groups: groupNotices(json.extensions?.privacy), withErrors: (json.errors?.length ?? 0) > 0 };
}
