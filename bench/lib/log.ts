/** Progress lines of the benchmarks, each with the prefix of the benchmark that printed it. */
const prefixedLog = (prefix: string) => (msg: string) => console.log(`[${prefix}] ${msg}`);

export const redeemLog = prefixedLog('bench');
export const postcardsLog = prefixedLog('bench:postcards');
