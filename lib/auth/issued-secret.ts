// A just-issued client secret on its way from the form that created it to the app page the
// browser is sent to next — the same path with or without JavaScript. It is kept server-side,
// encrypted, for one read by the same portal session within two minutes, and never put in a
// URL or the browser's storage.
import { getServerSession } from "next-auth";
import { getConfig } from "../config/index.ts";
import type { PortalContext } from "../portal/context.ts";
import { decrypt, encrypt } from "../security/encryption.ts";
import { authOptions } from "./options.ts";

export interface IssuedSecret {
  clientId: string;
  secret: string;
}

const LIFETIME_MS = 120_000;

async function slot(appId: string): Promise<string | null> {
  const session = (await getServerSession(authOptions())) as { sessionId?: string } | null;
  return session?.sessionId ? `issued-secret:${session.sessionId}:${appId}` : null;
}

export async function keepIssuedSecret(ctx: PortalContext, appId: string, issued: IssuedSecret): Promise<void> {
  const key = await slot(appId);
  if (key) await ctx.store.set(key, encrypt(JSON.stringify(issued), getConfig().secrets.encryptionKey, key), LIFETIME_MS);
}

/** The waiting secret for this app, once: reading it removes it. */
export async function takeIssuedSecret(ctx: PortalContext, appId: string): Promise<IssuedSecret | null> {
  const key = await slot(appId);
  if (!key) return null;
  const sealed = await ctx.store.get(key);
  if (!sealed) return null;
  await ctx.store.delete(key);
  try {
    return JSON.parse(decrypt(sealed, getConfig().secrets.encryptionKey, key)) as IssuedSecret;
  } catch {
    return null;
  }
}
