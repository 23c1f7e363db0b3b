import { DEFAULT_STRATEGIES, STRATEGIES, VALUE_TYPES, effectsFor } from '../../privacy/strategies';
import { CATEGORIES, covers } from '../../privacy/policy';

const ctx = { tenantKey: new Uint8Array(32), person: 'p-1' };

describe('masking strategies', () => {
  it('declare the effects and value types they support, and every default names a registered strategy', () => {
    for (const strategy of Object.values(STRATEGIES)) {
      expect(strategy.effects.length).toBeGreaterThan(0);
      for (const type of strategy.types) expect(VALUE_TYPES).toContain(type);
    }
    for (const category of CATEGORIES) expect({ category, covered: DEFAULT_STRATEGIES.some((d) => covers(d.category, category)) }).toEqual({ category, covered: true });
  });

  it('escalate to the next stricter effect when nothing fits the value type, and say so', () => {
    // An enum has no partial form: a masked call direction is withheld, and reported as withheld.
    const direction = effectsFor({ name: 'CallLog.direction', category: 'user.device.call_log', valueType: 'Enum' });
    expect(direction.MASK.effect).toBe('WITHHOLD');
    expect(direction.MASK.show('INBOUND', ctx)).toBeNull();
    // A link to a person is kept in a generalized view (whose coarse location it is), hidden when masked.
    const link = effectsFor({ name: 'LocationPing.user', category: 'user.location.precise', valueType: 'Link' });
    expect(link.GENERALIZE.effect).toBe('GENERALIZE');
    expect(effectsFor({ name: 'CallLog.user', category: 'user.device.call_log', valueType: 'Link' }).MASK.effect).toBe('WITHHOLD');
    // A name can be masked (initials) or pseudonymized; a generalized name falls back to the mask.
    const name = effectsFor({ name: 'Contact.name', category: 'user.name', valueType: 'String' });
    expect(name.GENERALIZE.effect).toBe('MASK');
    expect(name.MASK.show('Aarav Joshi', ctx)).toBe('A. J.');
    expect(name.PSEUDONYM.show('Aarav Joshi', ctx)).toMatch(/^person_/);
    // Free-text notes have no partial form at all.
    expect(effectsFor({ name: 'CallLog.notes', category: 'user.device.call_log.notes', valueType: 'String' }).PSEUDONYM.effect).toBe('WITHHOLD');
  });

  it('lets a field name its own strategy in the SDL, ahead of its category’s defaults', () => {
    const accuracy = effectsFor({ name: 'LocationPing.accuracyMeters', category: 'user.location.precise', valueType: 'Float', strategy: 'accuracy-floor' });
    expect(accuracy.GENERALIZE.show(8, ctx)).toBe(1100);
    const latitude = effectsFor({ name: 'LocationPing.latitude', category: 'user.location.precise', valueType: 'Float' });
    expect(latitude.GENERALIZE.show(13.08268, ctx)).toBe(13.08);
  });

  it('pseudonymizes per person, not per value', () => {
    const name = effectsFor({ name: 'Contact.name', category: 'user.name', valueType: 'String' });
    expect(name.PSEUDONYM.show('Aditya Banerjee', { ...ctx, person: 'c-1' })).not.toBe(name.PSEUDONYM.show('Aditya Banerjee', { ...ctx, person: 'c-2' }));
    expect(name.PSEUDONYM.show('Aditya Banerjee', { ...ctx, person: 'c-1' })).toBe(name.PSEUDONYM.show('A. Banerjee', { ...ctx, person: 'c-1' }));
  });
});
