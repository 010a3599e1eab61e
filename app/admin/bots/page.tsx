import type { Metadata } from "next";
import { BotDetections } from "@/components/admin/bot-detections";
import { TitledPage } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Bot detection" };

export default function BotDetectionPage() {
  return (
    <TitledPage title="Bot detection">
      <BotDetections />
    </TitledPage>
  );
}
