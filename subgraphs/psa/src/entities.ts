export const psaEntities: Function[] = [];
