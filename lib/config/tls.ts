// TLS_CERT, TLS_KEY and TLS_CLIENT_CA: PEM files read and checked at start-up, so a wrong path
// or a file that is not what it should be stops the process naming the variable (not a TLS
// handshake failure at the first request).
import { X509Certificate, createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigError } from "./errors.ts";

export interface TlsConfig {
  cert: Buffer;
  key: Buffer;
  /** Trust anchors for client certificates (mutual TLS); null: no certificate is asked for. */
  clientCa: Buffer | null;
}

interface TlsEnv {
  TLS_CERT?: string;
  TLS_KEY?: string;
  TLS_CLIENT_CA?: string;
}

function readPem(variable: string, path: string, cwd: string, check: (pem: Buffer) => void, what: string): Buffer {
  let pem: Buffer;
  try {
    pem = readFileSync(resolve(cwd, path));
  } catch (error) {
    throw new ConfigError(variable, `must be a readable PEM file (${(error as NodeJS.ErrnoException).code ?? "unreadable"}: ${JSON.stringify(path)})`);
  }
  try {
    check(pem);
  } catch {
    throw new ConfigError(variable, `must be a PEM file holding ${what} (${JSON.stringify(path)})`);
  }
  return pem;
}

const certificates = (pem: Buffer) => {
  if (!/-----BEGIN CERTIFICATE-----/.test(pem.toString("latin1"))) throw new Error("no certificate");
  new X509Certificate(pem); // the first certificate must parse
};

export function tlsConfig(env: TlsEnv, cwd: string): TlsConfig | null {
  if (!env.TLS_CERT && !env.TLS_KEY) {
    if (env.TLS_CLIENT_CA) throw new ConfigError("TLS_CLIENT_CA", "is set but TLS_CERT and TLS_KEY are not; client certificates need HTTPS served by Gatehouse");
    return null;
  }
  if (!env.TLS_CERT) throw new ConfigError("TLS_CERT", "is required when TLS_KEY is set");
  if (!env.TLS_KEY) throw new ConfigError("TLS_KEY", "is required when TLS_CERT is set");
  const cert = readPem("TLS_CERT", env.TLS_CERT, cwd, certificates, "a certificate (chain)");
  const key = readPem("TLS_KEY", env.TLS_KEY, cwd, (pem) => void createPrivateKey(pem), "a private key");
  const clientCa = env.TLS_CLIENT_CA ? readPem("TLS_CLIENT_CA", env.TLS_CLIENT_CA, cwd, certificates, "CA certificates") : null;
  return { cert, key, clientCa };
}
