/** Quotes a value for a POSIX shell: inside single quotes, a single quote is closed, escaped and reopened. */
const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export interface CurlRequest {
  url: string;
  query: string;
  /** The variables editor's text (JSON), if any. */
  variables?: string;
  headers: Record<string, string>;
}

/** The request the editor would send, as one curl command a terminal can run as it is. */
export function curlCommand({ url, query, variables, headers }: CurlRequest): string {
  let parsedVariables: unknown;
  try {
    parsedVariables = variables?.trim() ? JSON.parse(variables) : undefined;
  } catch {
    parsedVariables = undefined; // the editor shows the JSON error; the command sends none
  }
  const body = JSON.stringify(parsedVariables === undefined ? { query } : { query, variables: parsedVariables });
  const lines = [`curl -s ${shellQuote(url)}`, `-H ${shellQuote('content-type: application/json')}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  lines.push(`--data-raw ${shellQuote(body)}`);
  return lines.join(' \\\n  ');
}
