import { ErrorBodySchema } from '@desk/core';
import { z } from '@hono/zod-openapi';

/** Pieces every agent-side route description repeats. */
export const errorResponse = { content: { 'application/json': { schema: ErrorBodySchema } }, description: 'Error' };
export const bearer = [{ bearer: [] }];
export const IdParam = z.object({ id: z.string().min(1) });

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { content: { 'application/json': { schema } }, required: true } } as const;
}

export function jsonResponse<T extends z.ZodType>(schema: T, description = 'OK') {
  return { content: { 'application/json': { schema } }, description };
}
