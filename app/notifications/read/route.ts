import { formRoute } from "@/lib/api/form-route";
import { markReadFromForm } from "@/lib/api/notification-forms";

/** "Mark read" (one, with `id`) and "Mark all read" on /notifications. */
export const POST = formRoute(markReadFromForm, { back: "/notifications" });
