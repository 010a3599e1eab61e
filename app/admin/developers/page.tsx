import type { Metadata } from "next";
import { DeveloperList } from "@/components/admin/developer-list";
import { TitledPage } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Developers" };

export default function DevelopersPage() {
  return (
    <TitledPage title="Developers">
      <DeveloperList />
    </TitledPage>
  );
}
