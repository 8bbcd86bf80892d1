/** Every PSA migration in order; never edit one that has been committed, add a new one. */
export const psaMigrations: Function[] = [];
