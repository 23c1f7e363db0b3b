import { badUserInput } from '../../platform/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Every id in the API is a UUID; anything else is the client's mistake. */
export function parseId(value: unknown, argument = 'id'): string {
  if (!isId(value)) throw badUserInput(`Argument "${argument}" is not a valid id`, argument);
  return value.toLowerCase();
}
