// Compiled by RoslynCodeTaskFactory against netstandard, so only netstandard2.0 APIs are used here.
#nullable enable
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Marks libLibTorchSharp.so's GLIBCXX_3.4.32 requirement weak (VER_FLG_WEAK in its .gnu.version_r entry) in a
/// build or publish output, when the host's libstdc++ does not define that version. See DESIGN.md, "TorchSharp".
/// </summary>
public class PatchTorchSharpGlibcxxRequirement : Task
{
    private const string LibraryName = "libLibTorchSharp.so";
    private const string RequiredVersion = "GLIBCXX_3.4.32";
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    [Required]
    public string Directory { get; set; } = "";

    /// <summary>The libstdc++ to check instead of the host's (empty: ask ldconfig).</summary>
    public string HostLibstdcxx { get; set; } = "";

    public override bool Execute()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return true;
        }

        var libraries = System.IO.Directory.GetFiles(Directory, LibraryName, SearchOption.AllDirectories);
        if (libraries.Length == 0)
        {
            return true;
        }

        var hostLibrary = string.IsNullOrEmpty(HostLibstdcxx) ? FindHostLibstdcxx() : HostLibstdcxx;
        if (hostLibrary != null && !File.Exists(hostLibrary))
        {
            Log.LogError("TorchSharpHostLibstdcxx: {0} does not exist.", hostLibrary);
            return false;
        }

        if (hostLibrary == null)
        {
            Log.LogMessage(MessageImportance.Low, "No host libstdc++.so.6 found; {0} left as it is.", LibraryName);
            return true;
        }

        if (Contains(File.ReadAllBytes(hostLibrary), Encoding.ASCII.GetBytes(RequiredVersion + "\0")))
        {
            Log.LogMessage(MessageImportance.Low, "{0} defines {1}; no patch needed.", hostLibrary, RequiredVersion);
            return true;
        }

        foreach (var library in libraries)
        {
            PatchOne(library);
        }

        return !Log.HasLoggedErrors;
    }

    private void PatchOne(string library)
    {
        var bytes = File.ReadAllBytes(library);
        string? problem;
        var offset = FindFlagsOffset(bytes, out problem);
        if (offset < 0)
        {
            if (problem != null)
            {
                Log.LogWarning("{0}: not patched, {1}.", library, problem);
            }

            return;
        }

        var flags = BitConverter.ToUInt16(bytes, offset);
        if ((flags & VerFlgWeak) != 0)
        {
            return; // already patched: the step is idempotent
        }

        // Write a fresh file and rename it over the old one, so a hard link or symlink into the NuGet cache is
        // replaced rather than written through. File.Copy keeps the mode; the old timestamp is kept so that the
        // SDK's incremental copy (same size and time) does not put the unpatched file back on every build.
        var lastWrite = File.GetLastWriteTimeUtc(library);
        var temporary = library + ".patch-" + Guid.NewGuid().ToString("N");
        File.Copy(library, temporary);
        using (var stream = new FileStream(temporary, FileMode.Open, FileAccess.Write))
        {
            var patched = BitConverter.GetBytes((ushort)(flags | VerFlgWeak));
            stream.Seek(offset, SeekOrigin.Begin);
            stream.Write(patched, 0, patched.Length);
        }

        File.SetLastWriteTimeUtc(temporary, lastWrite);
        File.Replace(temporary, library, null);
        Log.LogMessage(
            MessageImportance.High,
            "Marked {0} weak in {1} (host libstdc++ lacks it).",
            RequiredVersion,
            Path.GetFullPath(library));
    }

    /// <summary>
    /// Walks the ELF64 section headers to SHT_GNU_verneed, then its Elf64_Verneed / Elf64_Vernaux chains, and
    /// returns the file offset of vna_flags for the GLIBCXX_3.4.32 entry; -1 when absent or the file is malformed.
    /// </summary>
    private static int FindFlagsOffset(byte[] elf, out string? problem)
    {
        problem = null;
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            problem = "not an ELF file";
            return -1;
        }

        if (elf[4] != 2 || elf[5] != 1)
        {
            problem = "not a little-endian ELF64 file";
            return -1;
        }

        var sectionHeaders = (long)BitConverter.ToUInt64(elf, 0x28);  // e_shoff
        int entrySize = BitConverter.ToUInt16(elf, 0x3A);             // e_shentsize
        int count = BitConverter.ToUInt16(elf, 0x3C);                 // e_shnum
        if (entrySize < 64 || sectionHeaders <= 0 || sectionHeaders + (long)entrySize * count > elf.Length)
        {
            problem = "section header table out of range";
            return -1;
        }

        for (var i = 0; i < count; i++)
        {
            var header = (int)(sectionHeaders + (long)i * entrySize);
            if (BitConverter.ToUInt32(elf, header + 4) != ShtGnuVerneed)  // sh_type
            {
                continue;
            }

            var start = (long)BitConverter.ToUInt64(elf, header + 0x18);  // sh_offset
            var size = (long)BitConverter.ToUInt64(elf, header + 0x20);   // sh_size
            var link = (int)BitConverter.ToUInt32(elf, header + 0x28);    // sh_link: the string table
            var entries = BitConverter.ToUInt32(elf, header + 0x2C);      // sh_info: number of Verneed entries
            if (link >= count || start + size > elf.Length)
            {
                problem = "version-needs section out of range";
                return -1;
            }

            var strings = (long)BitConverter.ToUInt64(elf, (int)(sectionHeaders + (long)link * entrySize) + 0x18);
            var need = start;
            for (var n = 0; n < entries; n++)
            {
                if (need + 16 > start + size)
                {
                    problem = "version-needs entry out of range";
                    return -1;
                }

                int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);   // vn_cnt
                var aux = need + BitConverter.ToUInt32(elf, (int)need + 8); // vn_aux
                for (var a = 0; a < auxCount; a++)
                {
                    if (aux + 16 > start + size)
                    {
                        problem = "version-needs aux entry out of range";
                        return -1;
                    }

                    var name = strings + BitConverter.ToUInt32(elf, (int)aux + 8);  // vna_name
                    if (ReadString(elf, name) == RequiredVersion)
                    {
                        return (int)aux + 4;  // vna_flags
                    }

                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);  // vna_next
                }

                var next = BitConverter.ToUInt32(elf, (int)need + 12);  // vn_next
                if (next == 0)
                {
                    break;
                }

                need += next;
            }
        }

        return -1;
    }

    private static string ReadString(byte[] bytes, long offset)
    {
        if (offset < 0 || offset >= bytes.Length)
        {
            return "";
        }

        var end = (int)offset;
        while (end < bytes.Length && bytes[end] != 0)
        {
            end++;
        }

        return Encoding.ASCII.GetString(bytes, (int)offset, end - (int)offset);
    }

    private static bool Contains(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
        {
            var j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j])
            {
                j++;
            }

            if (j == needle.Length)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The x86-64 libstdc++.so.6 the dynamic loader would pick: ldconfig's cache first, then the usual paths.</summary>
    private static string? FindHostLibstdcxx()
    {
        foreach (var ldconfig in new[] { "/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig" })
        {
            var listed = QueryLdconfig(ldconfig);
            if (listed != null)
            {
                return listed;
            }
        }

        foreach (var candidate in new[]
                 {
                     "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
                     "/lib/x86_64-linux-gnu/libstdc++.so.6",
                     "/usr/lib64/libstdc++.so.6",
                     "/lib64/libstdc++.so.6",
                 })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string? QueryLdconfig(string ldconfig)
    {
        try
        {
            var start = new ProcessStartInfo(ldconfig, "-p")
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
                CreateNoWindow = true,
            };
            using (var process = Process.Start(start))
            {
                if (process == null)
                {
                    return null;
                }

                var lines = new List<string>();
                string? line;
                while ((line = process.StandardOutput.ReadLine()) != null)
                {
                    lines.Add(line);
                }

                process.WaitForExit();
                foreach (var entry in lines)
                {
                    // e.g. "	libstdc++.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libstdc++.so.6"
                    var trimmed = entry.Trim();
                    var arrow = trimmed.IndexOf("=>", StringComparison.Ordinal);
                    if (trimmed.StartsWith("libstdc++.so.6 ", StringComparison.Ordinal)
                        && trimmed.Contains("x86-64")
                        && arrow > 0)
                    {
                        var path = trimmed.Substring(arrow + 2).Trim();
                        if (File.Exists(path))
                        {
                            return path;
                        }
                    }
                }
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // This ldconfig is not installed here; the caller tries the next one.
        }

        return null;
    }
}
