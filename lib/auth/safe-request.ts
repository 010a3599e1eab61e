// Rewrites the callbackUrl of a sign-in request (query or form body) to a safe one before
// next-auth sees it.
import { NextRequest } from "next/server";
import { getConfig } from "../config/index.ts";
import { safeCallbackUrl } from "./callback-path.ts";

export async function safeCallbackUrlRequest(req: Request): Promise<Request> {
  const { publicUrl } = getConfig();
  const url = new URL(req.url);
  if (url.searchParams.has("callbackUrl")) url.searchParams.set("callbackUrl", safeCallbackUrl(url.searchParams.get("callbackUrl"), publicUrl));
  let body: string | undefined;
  if (req.method === "POST" && (req.headers.get("content-type") ?? "").includes("application/x-www-form-urlencoded")) {
    const form = new URLSearchParams(await req.text());
    if (form.has("callbackUrl")) form.set("callbackUrl", safeCallbackUrl(form.get("callbackUrl"), publicUrl));
    body = form.toString();
  } else if (req.method === "POST") {
    body = await req.text();
  }
  return new NextRequest(url, { method: req.method, headers: req.headers, body });
}
