namespace Microsoft.ML.DeepExtensions.Trainers;

/// <summary>The optimizer a neural trainer uses (PyTorch <c>torch.optim</c> names).</summary>
public enum OptimizerKind
{
    /// <summary>Adam (Kingma &amp; Ba 2015) with coupled weight decay. The default.</summary>
    Adam,

    /// <summary>AdamW: Adam with decoupled weight decay (Loshchilov &amp; Hutter 2019).</summary>
    AdamW,

    /// <summary>Stochastic gradient descent, with optional (Nesterov) momentum.</summary>
    Sgd,

    /// <summary>RMSprop (Hinton, Coursera lecture 6e).</summary>
    RMSprop,

    /// <summary>Adagrad (Duchi, Hazan &amp; Singer 2011).</summary>
    Adagrad,
}

/// <summary>The hidden-layer activation of an MLP (PyTorch module names).</summary>
public enum ActivationKind
{
    /// <summary><c>max(0, x)</c>. The default.</summary>
    ReLU,

    /// <summary><c>x</c> for x ≥ 0, <c>slope·x</c> otherwise (slope from the options).</summary>
    LeakyReLU,

    /// <summary><c>x</c> for x &gt; 0, <c>exp(x) − 1</c> otherwise (Clevert et al. 2016).</summary>
    ELU,

    /// <summary><c>x·Φ(x)</c>, the exact (erf) form (Hendrycks &amp; Gimpel 2016).</summary>
    GELU,

    /// <summary><c>x·sigmoid(x)</c> (SiLU / Swish).</summary>
    SiLU,

    /// <summary><c>tanh(x)</c>.</summary>
    Tanh,

    /// <summary><c>1 / (1 + exp(−x))</c>.</summary>
    Sigmoid,

    /// <summary><c>log(1 + exp(x))</c>.</summary>
    Softplus,
}
