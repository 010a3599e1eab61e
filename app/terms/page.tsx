import type { Metadata } from "next";
import { Card, PageTitle } from "@/components/ui/basics";
import { Markdown } from "@/components/ui/markdown";
import { currentBranding } from "@/components/portal/current-branding";

export const metadata: Metadata = { title: "Terms of use" };

const defaultTerms = (organisation: string) => `These terms apply to ${organisation}'s developer portal and APIs until ${organisation} publishes its own.

- Keep your client secrets and tokens confidential, and rotate a secret you think was exposed.
- Call the APIs only for the purposes your apps were registered for, within their quotas.
- Do not try to reach data or accounts that are not yours, or to disrupt the service.
- ${organisation} may suspend apps or accounts that break these terms, and may change or retire API versions after announcing it in the catalog.
`;

export default async function TermsPage() {
  const branding = await currentBranding();
  return (
    <div className="space-y-6">
      <PageTitle>Terms of use</PageTitle>
      <Card>
        <Markdown>{branding.termsMarkdown.trim() || defaultTerms(branding.organisation)}</Markdown>
      </Card>
    </div>
  );
}
