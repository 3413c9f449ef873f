/** Countries the store ships to and bills in (ISO 3166-1 alpha-2). */
export const COUNTRY_CODES = [
  'AE',
  'AT',
  'AU',
  'BE',
  'BH',
  'BR',
  'CA',
  'CH',
  'CZ',
  'DE',
  'DK',
  'ES',
  'FI',
  'FR',
  'GB',
  'HK',
  'IE',
  'IN',
  'IT',
  'JP',
  'MX',
  'NL',
  'NO',
  'NZ',
  'PL',
  'PT',
  'SE',
  'SG',
  'US',
  'ZA',
] as const;

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** Country options for a select, sorted by English name. */
export function countryOptions(): { code: string; name: string }[] {
  return COUNTRY_CODES.map((code) => ({ code, name: regionNames.of(code) ?? code })).sort((a, b) => a.name.localeCompare(b.name));
}
