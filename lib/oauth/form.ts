// Reads an OAuth endpoint's body: application/x-www-form-urlencoded only, bounded, and every
// parameter at most once (RFC 6749 §3.1: "Request and response parameters MUST NOT be
// included more than once").
import type { IncomingMessage } from "node:http";
import { BodyTooLarge, readBoundedBody } from "../http/body.ts";
import { OAuthError, invalidRequest } from "./errors.ts";

const MAX_FORM_BYTES = 16 * 1024;

export type Form = Record<string, string>;

export async function readForm(req: IncomingMessage): Promise<Form> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers["content-type"] ?? "")) {
    throw invalidRequest("Send the parameters as application/x-www-form-urlencoded.");
  }
  try {
    return parseForm((await readBoundedBody(req, MAX_FORM_BYTES, req.headers["content-length"])).toString("utf8"));
  } catch (error) {
    if (error instanceof BodyTooLarge) throw new OAuthError("invalid_request", "The request body is too large.", {}, 413);
    throw error;
  }
}

export function parseForm(body: string): Form {
  const form: Form = {};
  for (const [key, value] of new URLSearchParams(body)) {
    if (key in form) throw invalidRequest(`The ${key} parameter is repeated.`);
    if (value !== "") form[key] = value;
  }
  return form;
}

/** Parameters that must never travel in the URL of a token, introspection or revocation call. */
export function refuseSecretsInQuery(url: string | undefined): void {
  const query = url?.split("?")[1];
  if (!query) return;
  const params = new URLSearchParams(query);
  for (const name of ["client_secret", "code", "code_verifier", "refresh_token", "password", "token", "assertion"]) {
    if (params.has(name)) throw invalidRequest(`${name} must be sent in the request body, not the URL.`);
  }
}
