import type { Metadata } from "next";
import { requireViewer } from "@/lib/auth/viewer";
import { listCatalog } from "@/lib/portal/catalog";
import { listInitialAccessTokens } from "@/lib/portal/initial-access-tokens";
import { RegistrationTokens } from "@/components/portal/registration-tokens";
import { TitledPage } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Registration tokens" };

export default async function RegistrationTokensPage() {
  const { ctx, actor } = await requireViewer("/apps/registration-tokens");
  const [tokens, products] = await Promise.all([listInitialAccessTokens(ctx, actor, { ownerId: actor.developerId }), listCatalog(ctx, actor, { limit: 100 })]);
  return (
    <TitledPage title="Registration tokens">
      <p className="mb-4 max-w-3xl text-sm text-slate-600">
        Initial access tokens let your software register its own OAuth clients at <code>POST /oauth/register</code> (RFC 7591) with <code>Authorization: Bearer &lt;token&gt;</code>
        . Each registered client is one of your apps, asking for the products you pick here. Revoking a token stops new registrations; apps already registered keep working until
        you delete them.
      </p>
      <RegistrationTokens ownerId={actor.developerId} products={products.items} initial={tokens} />
    </TitledPage>
  );
}
