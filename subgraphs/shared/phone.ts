import { badUserInput } from '../../platform/errors';

const E164 = /^\+[1-9]\d{6,14}$/;

/** Accepts an E.164 number written with spaces, dashes, dots or brackets; returns it bare. */
export function parsePhone(input: unknown, argument = 'phone'): string {
  const bare = typeof input === 'string' ? input.replace(/[\s\-().]/g, '') : '';
  if (!E164.test(bare)) throw badUserInput(`Argument "${argument}" must be a phone number in E.164 form, e.g. +14155550123`, argument);
  return bare;
}
