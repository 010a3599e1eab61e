"use client";
// Hands a just-issued secret from the "new app" form to the app page across a client-side
// navigation. Memory only: a reload, another tab or the back/forward cache never see it again.
let pending: { appId: string; clientId: string; secret: string } | null = null;

export function handOverSecret(value: { appId: string; clientId: string; secret: string }): void {
  pending = value;
}

/** The secret for this app, if one is waiting (reading does not consume it; see forgetSecret). */
export function peekSecret(appId: string): { clientId: string; secret: string } | null {
  return pending && pending.appId === appId ? { clientId: pending.clientId, secret: pending.secret } : null;
}

export function forgetSecret(appId: string): void {
  if (pending?.appId === appId) pending = null;
}
