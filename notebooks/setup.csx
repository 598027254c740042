// Shared prelude: each notebook's first cell runs `#load "setup.csx"`. It loads the library built by
// `./wav2vec notebooks setup` (artifacts/notebook-lib: every dependency, TorchSharp natives patched), never
// NuGet copies of TorchSharp or Plotly.NET (two copies of an assembly break with MissingMethodException).
// `using` lines here do not reach the notebook: put them in the notebook's own cell.
// After rebuilding the library, restart the kernel.
#r "../artifacts/notebook-lib/Wav2Vec.Core.dll"
#r "../artifacts/notebook-lib/Wav2Vec.Tools.dll"
#r "../artifacts/notebook-lib/Wav2Vec.Interactive.dll"
#r "../artifacts/notebook-lib/TorchSharp.dll"
#r "../artifacts/notebook-lib/System.Reactive.dll"
#r "../artifacts/notebook-lib/Plotly.NET.dll"
#r "../artifacts/notebook-lib/Plotly.NET.CSharp.dll"

Wav2Vec.Interactive.Wav2VecKernelExtension.Setup();
