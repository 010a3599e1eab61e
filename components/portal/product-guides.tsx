import type { GuideView } from "@/lib/portal/guides";
import { Card } from "../ui/basics";
import { GuideLinks } from "./guide-links";

/** "Guides" on a product's catalog page; nothing when it has none. */
export function ProductGuides({ guides }: { guides: GuideView[] }) {
  if (guides.length === 0) return null;
  return (
    <Card title="Guides">
      <GuideLinks guides={guides} />
    </Card>
  );
}
