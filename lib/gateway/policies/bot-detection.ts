// bot-detection: the hook issue #7 fills in (signatures, behaviour windows, verdicts in
// call.annotations.bot). It sits between authentication (1xx) and traffic policies (2xx) so a
// verdict can use the app identity and run before quota is spent. Today it lets every call on.
import { z } from "zod";
import { definePolicy } from "../policy.ts";

export const botDetection = definePolicy({
  name: "bot-detection",
  priority: 150,
  configSchema: z.object({}).passthrough(),
});
