import type { Metadata } from "next";
import { TokenRevocation } from "@/components/admin/token-revocation";
import { PageTitle } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Revoke tokens" };

export default function TokensPage() {
  return (
    <>
      <PageTitle>Revoke tokens</PageTitle>
      <TokenRevocation />
    </>
  );
}
