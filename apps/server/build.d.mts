export const ENTRY_POINTS: Record<string, string>;
export function buildServer(options?: { outdir?: string; minify?: boolean }): Promise<{ file: string; bytes: number }[]>;
