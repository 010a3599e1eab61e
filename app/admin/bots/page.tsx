import { BotDetections } from "@/components/admin/bot-detections";
import { titledPage } from "@/components/ui/titled-page";

const page = titledPage("Bot detection", BotDetections);
export const metadata = page.metadata;
export default page.Page;
