import { apiRoute } from "@/lib/api/route";
import { deleteProduct, getProduct, updateProduct } from "@/lib/portal/products";

export const GET = apiRoute<{ id: string }>(({ ctx, actor, params }) => getProduct(ctx, actor, params.id));
export const PATCH = apiRoute<{ id: string }>(({ ctx, actor, params, body }) => updateProduct(ctx, actor, params.id, body));
export const DELETE = apiRoute<{ id: string }>(({ ctx, actor, params }) => deleteProduct(ctx, actor, params.id));
