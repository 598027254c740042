// Written by hand: no served package edits ELF symbol-version tables, and the build must not depend on a
// patchelf or Python the user may lack. This one file is compiled twice: by Directory.Build.targets as the
// MSBuild inline task that patches build outputs, and (with WAV2VEC_TOOLS defined, without the task) into
// Wav2Vec.Tools, where the doctor and the notebook setup check the outputs.
using System;
using System.IO;
using System.Text;

namespace Wav2Vec.Tools.Native
{
    /// <summary>
    /// TorchSharp 0.107.0's <c>libLibTorchSharp.so</c> asks for <c>GLIBCXX_3.4.32</c> only for the unused
    /// symbol <c>std::ios_base_library_init</c>; Debian 12's libstdc++ stops at 3.4.30. Marking that one
    /// version requirement weak (<c>VER_FLG_WEAK</c> in <c>.gnu.version_r</c>) lets the loader accept it.
    /// </summary>
    public static class ElfVersionPatch
    {
        /// <summary>The symbol version TorchSharp requires and Debian 12 lacks.</summary>
        public const string MissingVersion = "GLIBCXX_3.4.32";
        const ushort VerFlagWeak = 0x2;
        const uint ShtGnuVerneed = 0x6ffffffe;

        /// <summary>Outcome of <see cref="MakeVersionWeak"/>.</summary>
        public enum Result { Patched, AlreadyWeak, NotRequired, NotElf }

        /// <summary>True when a system libstdc++ already defines <paramref name="version"/>.</summary>
        public static bool SystemLibStdCxxProvides(string version)
        {
            var needle = Encoding.ASCII.GetBytes(version + "\0");
            foreach (var path in LibStdCxxCandidates())
                if (File.Exists(path) && IndexOf(File.ReadAllBytes(path), needle) >= 0) return true;
            return false;
        }

        /// <summary>The libstdc++ files the dynamic loader would consider, most likely first.</summary>
        public static string[] LibStdCxxCandidates() => new[]
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        };

        /// <summary>
        /// Sets VER_FLG_WEAK on the requirement for <paramref name="version"/> in an ELF64 little-endian file.
        /// Idempotent; writes through a temporary file and a rename so a hard link into a package cache is
        /// never modified in place.
        /// </summary>
        public static Result MakeVersionWeak(string path, string version)
        {
            var bytes = File.ReadAllBytes(path);
            var offset = FindRequirementFlags(bytes, version);
            if (offset == -2) return Result.NotElf;
            if (offset < 0) return Result.NotRequired;
            var flags = BitConverter.ToUInt16(bytes, offset);
            if ((flags & VerFlagWeak) != 0) return Result.AlreadyWeak;
            BitConverter.GetBytes((ushort)(flags | VerFlagWeak)).CopyTo(bytes, offset);
            var tmp = path + ".patching";
            File.WriteAllBytes(tmp, bytes);
            File.Delete(path);
            File.Move(tmp, path);
            return Result.Patched;
        }

        /// <summary>True when the requirement exists and is already weak (or absent).</summary>
        public static bool IsSatisfiedOrWeak(string path, string version)
        {
            var bytes = File.ReadAllBytes(path);
            var offset = FindRequirementFlags(bytes, version);
            return offset < 0 || (BitConverter.ToUInt16(bytes, offset) & VerFlagWeak) != 0;
        }

        /// <summary>Byte offset of vna_flags for <paramref name="version"/>; -1 when absent, -2 when not ELF64 LE.</summary>
        static int FindRequirementFlags(byte[] b, string version)
        {
            if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F'
                || b[4] != 2 || b[5] != 1) return -2;
            long shoff = BitConverter.ToInt64(b, 0x28);
            int shentsize = BitConverter.ToUInt16(b, 0x3A), shnum = BitConverter.ToUInt16(b, 0x3C);
            for (int i = 0; i < shnum; i++)
            {
                int sh = checked((int)(shoff + (long)i * shentsize));
                if (BitConverter.ToUInt32(b, sh + 4) != ShtGnuVerneed) continue;
                int secOff = checked((int)BitConverter.ToInt64(b, sh + 0x18));
                int link = (int)BitConverter.ToUInt32(b, sh + 0x28);
                int strOff = checked((int)BitConverter.ToInt64(b, checked((int)(shoff + (long)link * shentsize)) + 0x18));
                // Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
                for (int vn = secOff; ; )
                {
                    int cnt = BitConverter.ToUInt16(b, vn + 2);
                    int aux = vn + (int)BitConverter.ToUInt32(b, vn + 8);
                    // Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
                    for (int k = 0; k < cnt; k++)
                    {
                        if (ReadCString(b, strOff + (int)BitConverter.ToUInt32(b, aux + 8)) == version) return aux + 4;
                        var next = (int)BitConverter.ToUInt32(b, aux + 12);
                        if (next == 0) break;
                        aux += next;
                    }
                    var vnNext = (int)BitConverter.ToUInt32(b, vn + 12);
                    if (vnNext == 0) break;
                    vn += vnNext;
                }
            }
            return -1;
        }

        static string ReadCString(byte[] b, int start)
        {
            int end = start;
            while (end < b.Length && b[end] != 0) end++;
            return Encoding.ASCII.GetString(b, start, end - start);
        }

        static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i <= haystack.Length - needle.Length; i++)
            {
                int j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j]) j++;
                if (j == needle.Length) return i;
            }
            return -1;
        }
    }

#if !WAV2VEC_TOOLS
    /// <summary>MSBuild task: patch every libLibTorchSharp.so below the given folders when the system needs it.</summary>
    public class PatchLibTorchSharp : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required] public string[] Folders { get; set; } = Array.Empty<string>();

        public override bool Execute()
        {
            if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux)) return true;
            if (ElfVersionPatch.SystemLibStdCxxProvides(ElfVersionPatch.MissingVersion))
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low,
                    "libstdc++ provides {0}: libLibTorchSharp.so left as shipped.", ElfVersionPatch.MissingVersion);
                return true;
            }
            foreach (var folder in Folders)
            {
                if (!Directory.Exists(folder)) continue;
                foreach (var file in Directory.EnumerateFiles(folder, "libLibTorchSharp.so", SearchOption.AllDirectories))
                {
                    var result = ElfVersionPatch.MakeVersionWeak(file, ElfVersionPatch.MissingVersion);
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal,
                        "libLibTorchSharp.so {0}: {1} requirement {2}.", file, ElfVersionPatch.MissingVersion, result);
                }
            }
            return true;
        }
    }
#endif
}
