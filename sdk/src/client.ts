// One app's OAuth client against a Gatehouse authorization server: every grant the server
// offers apps except the implicit one (see README), plus revocation and introspection.
import { discover, type ServerMetadata } from "./discovery.js";
import { OAuthError, ProtocolError } from "./errors.js";
import { codeChallenge, randomString } from "./pkce.js";
import { toTokenSet, type TokenResponse, type TokenSet } from "./tokens.js";

export interface ClientOptions {
  /** The Gatehouse URL, exactly as its metadata names the issuer (e.g. https://portal.example.com). */
  issuer: string;
  clientId: string;
  /** Confidential apps only; never ship a secret in a browser. */
  clientSecret?: string;
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

  constructor(readonly options: ClientOptions) {
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
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
    const body = (await this.post(metadata.token_endpoint, params)) as TokenResponse;
    if (typeof body?.access_token !== "string") throw new ProtocolError("no_token", "The token endpoint answered without an access_token.");
    return toTokenSet(body);
  }

  /** A form POST with the client's authentication (Basic for confidential apps, client_id for public ones). */
  private async post(endpoint: string, params: Record<string, string>): Promise<unknown> {
    const { clientId, clientSecret } = this.options;
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
    const form = new URLSearchParams(params);
    if (clientSecret !== undefined) headers.authorization = `Basic ${btoa(`${formEncode(clientId)}:${formEncode(clientSecret)}`)}`;
    else form.set("client_id", clientId);
    const res = await this.fetchImpl(endpoint, { method: "POST", headers, body: form });
    const text = await res.text();
    let json: Record<string, unknown> | null = null;
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      throw new ProtocolError("invalid_response", `${endpoint} answered HTTP ${res.status} without JSON.`);
    }
    if (!res.ok) {
      if (typeof json?.error === "string") throw new OAuthError(json.error, typeof json.error_description === "string" ? json.error_description : undefined, res.status);
      throw new ProtocolError("invalid_response", `${endpoint} answered HTTP ${res.status}.`);
    }
    return json;
  }
}

/** RFC 6749 §2.3.1: Basic credentials are form-encoded first. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
