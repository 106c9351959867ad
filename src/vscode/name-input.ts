// What the Greet name box accepts, with the message it shows otherwise. A name travels to the
// plugin as a protobuf string, which must be valid UTF-8: a lone UTF-16 surrogate (half of
// an emoji, e.g. from a clipboard that cut one in two) cannot be encoded, and a Go plugin
// would answer INTERNAL. No vscode import.

/** Index of the first UTF-16 surrogate without its partner, or -1. */
export function loneSurrogateIndex(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return i;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return i;
    }
  }
  return -1;
}

/** The input box's validation message for `value`, or undefined when it can be greeted. */
export function validateGreetName(value: string): string | undefined {
  if (!value.trim()) return 'Enter a name to greet; it cannot be empty.';
  const at = loneSurrogateIndex(value);
  if (at >= 0) {
    const unit = value.charCodeAt(at).toString(16).toUpperCase();
    return `The name has half of a character at position ${at + 1} (a lone UTF-16 surrogate, U+${unit}), which is not valid text and cannot be sent to a plugin. Delete it or type the character again.`;
  }
  return undefined;
}
