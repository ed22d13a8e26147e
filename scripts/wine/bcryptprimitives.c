/* A stand-in for Windows' bcryptprimitives.dll, for Wine releases without one (Debian 12 has Wine
 * 8.0). Rust's standard library has drawn its random bytes (the seeds of every HashMap) from
 * ProcessPrng since Rust 1.78, so without this DLL no Rust program starts. RtlGenRandom is the
 * system's own generator, which Wine has long provided. Built by scripts/windows.sh with MinGW-w64. */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
