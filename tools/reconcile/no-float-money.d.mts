export declare const noFloatMoneySelectors: { selector: string; message: string }[];
export declare const noFloatMoneyRules: { 'no-restricted-syntax': ['error', ...{ selector: string; message: string }[]] };
