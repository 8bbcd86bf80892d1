export const erpEntities: Function[] = [];
