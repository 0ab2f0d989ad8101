import { describe, expect, it } from 'vitest';
import { ContactInput, internationalFromDigits, normalizePhone } from '../src/index.ts';

describe('normalizePhone', () => {
  it('accepts international numbers and stores them as E.164', () => {
    expect(normalizePhone('+55 11 91234-5678')).toEqual({ ok: true, e164: '+5511912345678' });
    expect(normalizePhone('+34 612 34 56 78')).toEqual({ ok: true, e164: '+34612345678' });
    expect(normalizePhone('0044 20 7946 0958')).toEqual({ ok: true, e164: '+442079460958' });
  });

  it('refuses numbers without the country code, saying to add it', () => {
    const check = normalizePhone('11 91234-5678');
    expect(check).toMatchObject({ ok: false, reason: 'missing_country_code' });
    expect(check.ok || check.message).toMatch(/country code/i);
  });

  it('refuses numbers that cannot exist', () => {
    expect(normalizePhone('+55 11 123')).toMatchObject({ ok: false, reason: 'invalid' });
    expect(normalizePhone('+999 1234567')).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('reads WhatsApp ids, which carry no +', () => {
    expect(internationalFromDigits('5511912345678')).toBe('+5511912345678');
    expect(normalizePhone(internationalFromDigits('5511912345678'))).toEqual({ ok: true, e164: '+5511912345678' });
    expect(normalizePhone(internationalFromDigits('123'))).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('is applied by the contact schema with a field message', () => {
    expect(ContactInput.parse({ name: 'Maria', phone: '+55 (11) 91234-5678' }).phone).toBe('+5511912345678');
    const result = ContactInput.safeParse({ name: 'Maria', phone: '11 91234-5678' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['phone']);
    expect(result.error?.issues[0]?.message).toMatch(/country code/i);
  });
});
