/** The JSON error body every route answers with, and its schema for the docs. */
import { STATUS_CODES } from 'node:http';
import { Type } from '@sinclair/typebox';

export const ErrorReply = Type.Object(
  { statusCode: Type.Integer(), error: Type.String(), message: Type.String({ description: 'What was wrong, naming the field.' }) },
  { description: 'Error' },
);

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

export function errorBody(statusCode: number, message: string): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

/** Error replies of a route, for its response schema. */
export function errorReplies(...codes: number[]): Record<number, typeof ErrorReply> {
  return Object.fromEntries(codes.map((c) => [c, ErrorReply]));
}
