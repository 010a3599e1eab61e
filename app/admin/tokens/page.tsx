import type { Metadata } from "next";
import { TokenRevocation } from "@/components/admin/token-revocation";
import { TitledPage } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Revoke tokens" };

export default function TokensPage() {
  return (
    <TitledPage title="Revoke tokens">
      <TokenRevocation />
    </TitledPage>
  );
}
