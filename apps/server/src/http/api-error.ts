import { DeskError, ErrorCode, type FieldErrors } from '@desk/core';

export const notFound = (what = 'Not found.') => new DeskError(ErrorCode.notFound, what);
export const forbidden = (message = 'You are not allowed to do this.') => new DeskError(ErrorCode.forbidden, message);
export const unauthenticated = (message = 'Sign in to continue.') => new DeskError(ErrorCode.unauthenticated, message);
export const conflict = (message: string, fields?: FieldErrors) =>
  new DeskError(ErrorCode.conflict, message, fields ? { fields } : {});
export const invalid = (message: string, fields?: FieldErrors) =>
  new DeskError(ErrorCode.invalidInput, message, fields ? { fields } : {});
