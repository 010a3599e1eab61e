import type { Metadata } from "next";
import { BotDetections } from "@/components/admin/bot-detections";
import { PageTitle } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Bot detection" };

export default function BotDetectionPage() {
  return (
    <>
      <PageTitle>Bot detection</PageTitle>
      <BotDetections />
    </>
  );
}
