/** Reading the environment's values: each setting's shape is parsed the same way everywhere. */

export const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** A positive number from the environment, or the fallback when unset or not one. */
export function positiveNumber(value: string | undefined, fallback: number): number {
  const parsed = Number(value ?? '');
  return value?.trim() && Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

/** A comma-separated list, trimmed, without empty items. */
export function listFrom(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
