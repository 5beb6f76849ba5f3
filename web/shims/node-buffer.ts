// node:buffer in the page: the largest typed array a browser allocates is what limits a read.
export const constants = { MAX_LENGTH: 2 ** 31 - 1 };
export default { constants };
