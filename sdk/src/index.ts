// @gatehouse/sdk — OAuth 2.0 for apps registered in a Gatehouse portal. Web APIs only.
export { GatehouseClient, type ClientOptions, type AuthorizationRequest } from "./client.js";
export { discover, type ServerMetadata } from "./discovery.js";
export { OAuthError, ProtocolError } from "./errors.js";
export { MemoryTokenStore, WebStorageTokenStore, type TokenStore } from "./storage.js";
export { TokenSession, type SessionOptions } from "./session.js";
export { beginAuthorization, completeAuthorization, type BrowserFlowOptions } from "./browser.js";
export type { TokenSet } from "./tokens.js";
export { DPoP, type DPoPOptions, type DPoPServer } from "./dpop.js";
export { IndexedDbDPoPKeyStore, MemoryDPoPKeyStore, generateDPoPKeyPair, type DPoPKeyStore } from "./dpop-key-store.js";
export { createProof, jwkThumbprint, publicJwk, type ProofClaims, type PublicEcJwk } from "./dpop-proof.js";
