import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

type Context = { params: Promise<{ nextauth: string[] }> };
const handler = (req: Request, ctx: Context) => NextAuth(req as never, ctx as never, authOptions());

export { handler as GET, handler as POST };
