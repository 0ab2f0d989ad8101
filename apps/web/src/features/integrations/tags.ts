/** Tags typed as one line ("billing, vip"), pure (unit-tested). */
export function splitTags(text: string): string[] {
  return text
    .split(/[,;\n]/)
    .map((tag) => tag.trim())
    .filter((tag) => tag.length > 0);
}

export function joinTags(tags: readonly string[]): string {
  return tags.join(', ');
}
