import NextAuth from "next-auth";
import { authOptions, sessionClient } from "@/lib/auth/options";
import { safeCallbackUrlRequest } from "@/lib/auth/safe-request";

type Context = { params: Promise<{ nextauth: string[] }> };
const handler = async (req: Request, ctx: Context) => NextAuth((await safeCallbackUrlRequest(req)) as never, ctx as never, authOptions(sessionClient(req)));

export { handler as GET, handler as POST };
