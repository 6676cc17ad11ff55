using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace AgentState.Text
{
    /// <summary>
    /// The encodings a text write accepts, as Set-Content takes them in PowerShell 7: its names (utf8NoBOM, utf8BOM,
    /// unicode, bigendianunicode, utf32, bigendianutf32, ascii, ansi, oem, utf7), any name .NET knows (windows-1252,
    /// shift_jis, latin1, utf-16be...), a code page number, or an Encoding object. Every encoder this returns throws on
    /// a character it cannot represent: a lossy '?' would silently corrupt the file.
    /// </summary>
    public static class TextEncodings
    {
        /// <summary>The default: UTF-8 without a byte order mark.</summary>
        public const string DefaultName = "utf8NoBOM";

        private static readonly Dictionary<string, Func<Encoding>> Factories = new Dictionary<string, Func<Encoding>>(StringComparer.OrdinalIgnoreCase)
        {
            // PowerShell 7's names (EncodingConversion), with the same meanings...
            ["ansi"] = () => FromCodePage(CultureInfo.CurrentCulture.TextInfo.ANSICodePage),
            ["ascii"] = () => FromCodePage(20127),
            ["bigendianunicode"] = () => new UnicodeEncoding(true, true, true),
            ["bigendianutf32"] = () => new UTF32Encoding(true, true, true),
            ["default"] = () => new UTF8Encoding(false, true),
            ["oem"] = Oem,
            ["string"] = () => new UnicodeEncoding(false, true, true),
            ["unicode"] = () => new UnicodeEncoding(false, true, true),
            ["unknown"] = () => new UnicodeEncoding(false, true, true),
            ["utf7"] = () => FromCodePage(65000),
            ["utf8"] = () => new UTF8Encoding(false, true),
            ["utf8BOM"] = () => new UTF8Encoding(true, true),
            ["utf8NoBOM"] = () => new UTF8Encoding(false, true),
            ["utf32"] = () => new UTF32Encoding(false, true, true),
            // ...and the names this module took before, kept for the scripts that use them.
            ["utf16"] = () => new UnicodeEncoding(false, true, true),
            ["utf16LE"] = () => new UnicodeEncoding(false, true, true),
            ["utf16BE"] = () => new UnicodeEncoding(true, true, true),
            ["latin1"] = () => FromCodePage(28591),
        };

        /// <summary>The names offered for completion: PowerShell 7's, in its order.</summary>
        public static IReadOnlyList<string> Names { get; } = new[] { "ansi", "ascii", "bigendianunicode", "bigendianutf32", "oem", "unicode", "utf7", "utf8", "utf8BOM", "utf8NoBOM", "utf32" };

        /// <summary>
        /// The encoding for a name: one of <see cref="Names"/> (any case), a code page number, or a name .NET knows.
        /// Throws <see cref="IO.InvalidInputException"/> naming the accepted ones for anything else.
        /// </summary>
        public static Encoding Get(string? name)
        {
            if (string.IsNullOrEmpty(name))
            {
                return Factories[DefaultName]();
            }

            if (Factories.TryGetValue(name!, out Func<Encoding>? factory))
            {
                return factory();
            }

            if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int codePage))
            {
                return Get(codePage);
            }

            try
            {
                return Strict(Encoding.GetEncoding(name));
            }
            catch (ArgumentException)
            {
                throw new IO.InvalidInputException($"Unknown encoding '{name}'. Use one of {string.Join(", ", Names)}, a code page number or an encoding name .NET knows.", nameof(name));
            }
        }

        /// <summary>The encoding of a code page number (1252, 65001...).</summary>
        public static Encoding Get(int codePage) => FromCodePage(codePage);

        /// <summary>
        /// <paramref name="encoding"/> with the same byte order mark, but throwing on a character it cannot represent
        /// (an Encoding object such as [Text.Encoding]::ASCII replaces them with '?').
        /// </summary>
        public static Encoding Strict(Encoding encoding)
        {
            bool bom = encoding.GetPreamble().Length > 0;
            switch (encoding)
            {
                case UTF8Encoding _:
                    return new UTF8Encoding(bom, true);
                case UnicodeEncoding _:
                    return new UnicodeEncoding(encoding.CodePage == 1201, bom, true);
                case UTF32Encoding _:
                    return new UTF32Encoding(encoding.CodePage == 12001, bom, true);
                default:
                    return Encoding.GetEncoding(encoding.CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
            }
        }

        /// <summary>The bytes of <paramref name="text"/>, preceded by the encoding's byte order mark if it has one.</summary>
        public static byte[] Encode(string text, Encoding encoding)
        {
            byte[] preamble = encoding.GetPreamble();
            int length = encoding.GetByteCount(text);
            var bytes = new byte[preamble.Length + length];
            Buffer.BlockCopy(preamble, 0, bytes, 0, preamble.Length);
            encoding.GetBytes(text, 0, text.Length, bytes, preamble.Length);
            return bytes;
        }

        private static Encoding FromCodePage(int codePage)
        {
            try
            {
                return Strict(Encoding.GetEncoding(codePage));
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException)
            {
                // .NET Core knows legacy code pages only once their provider is registered (PowerShell 7 registers it).
                throw new IO.InvalidInputException($"Code page {codePage.ToString(CultureInfo.InvariantCulture)} is not available: {ex.Message}", "encoding");
            }
        }

        // PowerShell's oem: the console's code page on Windows; on Linux and macOS the console is UTF-8.
        private static Encoding Oem() =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? FromCodePage(CultureInfo.CurrentCulture.TextInfo.OEMCodePage) : new UTF8Encoding(false, true);
    }
}
