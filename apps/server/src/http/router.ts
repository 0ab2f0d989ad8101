import { ErrorCode, fieldErrorsOf } from '@desk/core';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './app-env.ts';

/**
 * A router whose validators answer 400 with field-level messages in Desk's error format.
 * Every domain builds its routes on one of these so they all land in the OpenAPI document.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const fields = fieldErrorsOf(result.error);
        return c.json(
          { error: { code: ErrorCode.invalidInput, message: 'Some fields are not valid.', fields } },
          400,
        );
      }
      return undefined;
    },
  });
}
export type Router = ReturnType<typeof createRouter>;
