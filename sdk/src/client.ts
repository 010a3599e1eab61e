// One app's OAuth client against a Gatehouse authorization server: every grant the server
// offers apps except the implicit one (see README), plus revocation and introspection; with
// `dpop`, every token request carries a DPoP proof and the tokens are bound to the client's key.
import { discover, type ServerMetadata } from "./discovery.js";
import { DPoP, type DPoPOptions } from "./dpop.js";
import { OAuthError, ProtocolError } from "./errors.js";
import { codeChallenge, randomString } from "./pkce.js";
import { toTokenSet, type TokenResponse, type TokenSet } from "./tokens.js";

export interface ClientOptions {
  /** The Gatehouse URL, exactly as its metadata names the issuer (e.g. https://portal.example.com). */
  issuer: string;
  clientId: string;
  /** Confidential apps only; never ship a secret in a browser. */
  clientSecret?: string;
  /** Sender-constrained tokens (RFC 9449): `true` for the default key store (IndexedDB in a
   * browser, memory in Node), or where the key pair lives. */
  dpop?: boolean | DPoPOptions;
  fetch?: typeof fetch;
}

export interface AuthorizationRequest {
  url: string;
  /** Keep these until the callback (the browser helper keeps them in sessionStorage). */
  state: string;
  codeVerifier: string;
  redirectUri: string;
}

export class GatehouseClient {
  private metadata: Promise<ServerMetadata> | null = null;
  private readonly fetchImpl: typeof fetch;
  /** The client's DPoP key and nonces; null when DPoP is off. */
  readonly dpop: DPoP | null;

  constructor(readonly options: ClientOptions) {
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    const dpop = options.dpop === true ? {} : options.dpop || null;
    this.dpop = dpop ? new DPoP(DPoP.keyStoreFor(dpop, `${options.issuer} ${options.clientId}`)) : null;
  }

  /** The server's metadata, fetched once (and again after a failure). */
  discover(): Promise<ServerMetadata> {
    this.metadata ??= discover(this.options.issuer, this.fetchImpl).catch((error: unknown) => {
      this.metadata = null;
      throw error;
    });
    return this.metadata;
  }

  clientCredentials(scope?: string): Promise<TokenSet> {
    return this.token({ grant_type: "client_credentials", ...(scope ? { scope } : {}) });
  }

  /** Resource-owner password grant — only where a Gatehouse admin enabled it for the app. */
  password(username: string, password: string, scope?: string): Promise<TokenSet> {
    return this.token({ grant_type: "password", username, password, ...(scope ? { scope } : {}) });
  }

  /** A new token set; the server rotates refresh tokens, so store the one this returns. */
  refresh(refreshToken: string, scope?: string): Promise<TokenSet> {
    return this.token({ grant_type: "refresh_token", refresh_token: refreshToken, ...(scope ? { scope } : {}) });
  }

  /** Starts authorization code + PKCE (S256): the URL to send the user to, and what to keep. */
  async authorizationRequest(redirectUri: string, scope?: string, extra: Record<string, string> = {}): Promise<AuthorizationRequest> {
    const metadata = await this.discover();
    if (!metadata.authorization_endpoint) throw new ProtocolError("not_supported", "The server has no authorization endpoint.");
    const state = randomString();
    const codeVerifier = randomString();
    const url = new URL(metadata.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: this.options.clientId,
      redirect_uri: redirectUri,
      state,
      code_challenge: await codeChallenge(codeVerifier),
      code_challenge_method: "S256",
      // RFC 9449 §10: binds the code to this client's key, so a stolen code cannot be redeemed elsewhere
      ...(this.dpop ? { dpop_jkt: await this.dpop.thumbprint() } : {}),
      ...(scope ? { scope } : {}),
      ...extra,
    }).toString();
    return { url: url.toString(), state, codeVerifier, redirectUri };
  }

  /** Finishes authorization code + PKCE from the callback URL: checks `state` and the RFC 9207
   * `iss`, turns an error redirect into an OAuthError, and redeems the code. */
  async authorizationCallback(callbackUrl: string | URL, request: Pick<AuthorizationRequest, "state" | "codeVerifier" | "redirectUri">): Promise<TokenSet> {
    const params = new URL(callbackUrl).searchParams;
    const metadata = await this.discover();
    if (params.get("state") !== request.state) throw new ProtocolError("state_mismatch", "The callback's state is not the one this request sent.");
    const iss = params.get("iss");
    if (iss !== null ? iss !== metadata.issuer : metadata.authorization_response_iss_parameter_supported) {
      throw new ProtocolError("issuer_mismatch", "The callback's iss is not this server's issuer.");
    }
    const error = params.get("error");
    if (error) throw new OAuthError(error, params.get("error_description") ?? undefined, 400);
    const code = params.get("code");
    if (!code) throw new ProtocolError("missing_code", "The callback carries no code.");
    return this.token({ grant_type: "authorization_code", code, redirect_uri: request.redirectUri, code_verifier: request.codeVerifier });
  }

  /** RFC 7009: the server answers 200 whatever the token was. */
  async revoke(token: string, hint?: "access_token" | "refresh_token"): Promise<void> {
    const metadata = await this.discover();
    if (!metadata.revocation_endpoint) throw new ProtocolError("not_supported", "The server has no revocation endpoint.");
    await this.post(metadata.revocation_endpoint, { token, ...(hint ? { token_type_hint: hint } : {}) });
  }

  /** RFC 7662 (confidential apps): what the server knows of one of this app's tokens. */
  async introspect(token: string): Promise<{ active: boolean; [claim: string]: unknown }> {
    const metadata = await this.discover();
    if (!metadata.introspection_endpoint) throw new ProtocolError("not_supported", "The server has no introspection endpoint.");
    return (await this.post(metadata.introspection_endpoint, { token })) as { active: boolean };
  }

  private async token(params: Record<string, string>): Promise<TokenSet> {
    const metadata = await this.discover();
    const body = (await this.post(metadata.token_endpoint, params, this.dpop)) as TokenResponse;
    if (typeof body?.access_token !== "string") throw new ProtocolError("no_token", "The token endpoint answered without an access_token.");
    return toTokenSet(body, this.dpop !== null);
  }

  /** A form POST with the client's authentication (Basic for confidential apps, client_id for
   * public ones) and, given `dpop`, a proof — sent once more when the server asks for a nonce. */
  private async post(endpoint: string, params: Record<string, string>, dpop: DPoP | null = null): Promise<unknown> {
    const { clientId, clientSecret } = this.options;
    const send = async () => {
      const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
      const form = new URLSearchParams(params);
      if (clientSecret !== undefined) headers.authorization = `Basic ${btoa(`${formEncode(clientId)}:${formEncode(clientSecret)}`)}`;
      else form.set("client_id", clientId);
      if (dpop) headers.dpop = await dpop.proof("authorization", "POST", endpoint);
      const res = await this.fetchImpl(endpoint, { method: "POST", headers, body: form });
      const gotNonce = dpop?.rememberNonce("authorization", endpoint, res) ?? false;
      return { res, json: await readJson(endpoint, res), gotNonce };
    };
    let answer = await send();
    // RFC 9449 §8: a 400 use_dpop_nonce comes with the nonce to put in the proof
    if (answer.gotNonce && answer.res.status === 400 && answer.json.error === "use_dpop_nonce") answer = await send();
    const { res, json } = answer;
    if (!res.ok) {
      if (typeof json.error === "string") throw new OAuthError(json.error, typeof json.error_description === "string" ? json.error_description : undefined, res.status);
      throw new ProtocolError("invalid_response", `${endpoint} answered HTTP ${res.status}.`);
    }
    return json;
  }
}

async function readJson(endpoint: string, res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  try {
    const json: unknown = text ? JSON.parse(text) : {};
    if (json && typeof json === "object") return json as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new ProtocolError("invalid_response", `${endpoint} answered HTTP ${res.status} without JSON.`);
}

/** RFC 6749 §2.3.1: Basic credentials are form-encoded first. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
