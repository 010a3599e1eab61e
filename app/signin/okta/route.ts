import { signInFormResponse } from "@/lib/auth/sign-in-form";

/** POST only: the sign-in page's form (see lib/auth/sign-in-form.ts). */
export const POST = (request: Request) => signInFormResponse(request);
