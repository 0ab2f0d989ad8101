/**
 * Error codes shared by server and PWA. The server answers every failure as
 * `{ error: { code, message, fields? } }`; the PWA maps the same codes to messages.
 */
export const ErrorCode = {
  invalidInput: 'invalid_input',
  malformedJson: 'malformed_json',
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  notFound: 'not_found',
  conflict: 'conflict',
  ruleViolated: 'rule_violated',
  payloadTooLarge: 'payload_too_large',
  unsupportedMediaType: 'unsupported_media_type',
  tooManyRequests: 'too_many_requests',
  insufficientStorage: 'insufficient_storage',
  resetRequired: 'reset_required',
  internal: 'internal_error',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Field path (dot-joined) → human message. */
export type FieldErrors = Record<string, string>;

export interface ErrorBody {
  error: { code: ErrorCode | string; message: string; fields?: FieldErrors; rule?: string };
}

export const httpStatusOf: Record<ErrorCode, number> = {
  invalid_input: 400,
  malformed_json: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rule_violated: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  insufficient_storage: 507,
  reset_required: 409,
  internal_error: 500,
};

/** One error class for every refusal, so callers can show why something was refused. */
export class DeskError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldErrors | undefined;
  /** The name of the domain rule that was broken, when the refusal comes from a rule. */
  readonly rule: string | undefined;

  constructor(code: ErrorCode, message: string, options: { fields?: FieldErrors; rule?: string } = {}) {
    super(message);
    this.name = 'DeskError';
    this.code = code;
    this.fields = options.fields;
    this.rule = options.rule;
  }

  get status(): number {
    return httpStatusOf[this.code];
  }

  toBody(): ErrorBody {
    const error: ErrorBody['error'] = { code: this.code, message: this.message };
    if (this.fields) error.fields = this.fields;
    if (this.rule) error.rule = this.rule;
    return { error };
  }
}

export function exhaustiveSwitchError(value: never, what = 'value'): never {
  throw new Error(`Unknown ${what}: ${JSON.stringify(value)}`);
}
