// Names, comments and string literals in generated C++: whatever a model is called, the header
// compiles, two models never share a namespace, and no user text can end a comment early.
//
// A name is kept as it is when it is a plain identifier that C++ leaves to the user: letters
// and digits in words joined by single underscores, starting with a letter, not a keyword,
// not written in capitals (the macro convention: `EOF`, `NULL`, `M_PI`), and not an
// object-like macro of the standard or platform headers (`errno`, `stdin`, `linux`).
// Any other name is escaped: `_` becomes `_u`, a digit at the start `_dN`, any other character
// `_xHHHH` (its UTF-16 code unit), and a final `_` is added. Escaped names all end in `_` and
// kept names never do, and escaping can be undone, so distinct names stay distinct:
// `int` -> `int_`, `int_` -> `int_u_`, `_Model` -> `_uModel_`, `2x` -> `_d2x_`.

/**
 * C++ keywords (through C++23) and alternative tokens; then GNU's (`typeof`, a keyword under
 * -std=gnu++17), those of the transactional-memory and reflection proposals (keywords under
 * GCC's -fgnu-tm and in experimental compilers), and the words MSVC treats as keywords in
 * C++/CLI and under /clr.
 */
const KEYWORDS = new Set(`
  alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t char16_t
  char32_t class compl concept const consteval constexpr constinit const_cast continue co_await
  co_return co_yield decltype default delete do double dynamic_cast else enum explicit export
  extern false float for friend goto if inline int long mutable namespace new noexcept not
  not_eq nullptr operator or or_eq private protected public register reinterpret_cast requires
  return short signed sizeof static static_assert static_cast struct switch template this
  thread_local throw true try typedef typeid typename union unsigned using virtual void volatile
  wchar_t while xor xor_eq final override import module
  typeof
  synchronized atomic_cancel atomic_commit atomic_noexcept reflexpr transaction_safe transaction_safe_dynamic
  abstract delegate event gcnew generic initonly interior_ptr literal pin_ptr property ref safe_cast sealed`.split(/\s+/).filter(Boolean));

/**
 * Object-like macros with lower-case names (function-like ones never expand here: a name is
 * never followed by `(`): glibc's, those GCC predefines in GNU mode (`linux`, `unix`, and per
 * platform `i386`, `sun`, `sparc`, `mips`), and a few of Windows' headers (windef.h, rpcndr.h).
 */
const MACROS = new Set(['errno', 'stdin', 'stdout', 'stderr', 'math_errhandling', 'sched_priority', 'linux', 'unix', 'i386',
  'sun', 'sparc', 'mips', 'near', 'far', 'interface', 'small', 'pascal', 'cdecl', 'hyper']);

/** Names the generated code itself uses where a model's name appears. */
const TAKEN = new Set(['std', 'spinal', 'rt', 'layers', 'weights']);

const PLAIN = /^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*$/;

/** Whether `name` can appear in C++ as it is (see the file comment). */
export function isPlainIdentifier(name: string): boolean {
  const capitals = !/[a-z]/.test(name) || /^[A-Z]_/.test(name);
  return PLAIN.test(name) && !capitals && !KEYWORDS.has(name) && !MACROS.has(name) && !TAKEN.has(name);
}

/**
 * Names a multi-input model's `predict` and layer functions use beside its input parameters
 * (and the name of the struct whose members the inputs are), and the `k` + capital form of the
 * header's constants (`kOutputs`, `kInput_pixels`): an input named like one of them is escaped.
 */
const PREDICT_NAMES = new Set(['y', 'batch', 'ws', 'done', 'rows', 'chunk', 'run', 'predict', 'detail', 'Model', 'Workspace', 'Inputs']);

/**
 * The C++ name of a model's input: a parameter of `predict` and a member of `detail::Inputs`.
 * Distinct inputs keep distinct names (a reserved name is escaped like a keyword), and none
 * hides a name that predict's body or a layer function uses.
 */
export function cppInputName(name: string): string {
  return PREDICT_NAMES.has(name) || /^k[A-Z]/.test(name) ? escape(name) : cppIdentifier(name);
}

/** A C++ identifier for `name`: the name itself when that is safe, else its escaped form. */
export function cppIdentifier(name: string): string {
  return isPlainIdentifier(name) ? name : escape(name);
}

/** The escaped form of any name (see the file comment): it ends in `_`, a plain name never does. */
function escape(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === '_') out += '_u';
    else if (/[0-9]/.test(c) && i === 0) out += `_d${c}`;
    else if (/[A-Za-z0-9]/.test(c)) out += c;
    else out += `_x${name.charCodeAt(i).toString(16).padStart(4, '0')}`;
  }
  return `${out === '' ? '_e' : out}_`;
}

/**
 * Text that is safe inside any comment: one line, printable ASCII only (anything else becomes
 * `?`), no backslash (one at the end of a `//` comment continues it onto the next line of
 * code), and no `*/` or `/*` (which would end or nest a block comment).
 */
export function commentText(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').replace(/\\/g, '/').replace(/\*\//g, '* /').replace(/\/\*/g, '/ *');
}

/** A C++ string literal of `text` (ASCII printable kept, everything else as octal escapes of its UTF-8). */
export function cppString(text: string): string {
  let out = '"';
  for (const byte of new TextEncoder().encode(text)) {
    const c = String.fromCharCode(byte);
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (byte >= 0x20 && byte < 0x7f && c !== '?') out += c;
    else out += `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return `${out}"`;
}
