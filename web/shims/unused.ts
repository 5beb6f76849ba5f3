// A Node built-in that a library requires but never calls in the page (ts-morph's real file
// system, unused with its in-memory one).
export default {};
