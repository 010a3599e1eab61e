import { apiRoute } from "@/lib/api/route";
import { createProduct, listProducts } from "@/lib/portal/products";

export const GET = apiRoute(({ ctx, actor, query }) => listProducts(ctx, actor, query));
export const POST = apiRoute(({ ctx, actor, body }) => createProduct(ctx, actor, body), { status: 201 });
